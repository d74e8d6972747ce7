"""The board's records of a review: added as the review work lands (snapshots, decisions)."""
