"""The roster import has no API yet: a file is uploaded and confirmed on its pages."""
