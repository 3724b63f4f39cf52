"""Reports as files: HTML (Jinja2), PDF (WeasyPrint, shipped Noto Sans SC), XLSX, SVG charts."""
