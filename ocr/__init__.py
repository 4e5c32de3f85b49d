"""OCR: page preprocessing, the tesseract engine, the searchable PDF."""
