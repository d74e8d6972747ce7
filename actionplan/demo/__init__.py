"""Demo data: the national RASSO joint action plan, local plans that mirror it, and the people who run them."""
