// Progressive enhancement only: every page works without JavaScript.
import { initAll as initGovuk } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";
import { initAllTimeoutWarnings } from "./timeout-warning.mjs";

initGovuk();
initMoj();
initAllTimeoutWarnings();
