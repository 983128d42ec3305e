"""The learning network: story collections, workgroups, learning products, roundtables, peers."""
