"""Benefits use cases over the store: measures over time and the benefits register."""
