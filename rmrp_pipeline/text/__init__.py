"""Text of cells and strict parsers (numbers, published figures, months, Yes/No) used by every source."""
