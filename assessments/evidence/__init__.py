"""Evidence (data dukung): what an upload must pass (`intake`: name, size, type, content by
`inspection`, `images`, `packages`, `payloads`, virus scan), where it is kept and how it is
removed or judged (`services`), the limits Admin nasional sets (`limits`), and the panel that
lists it (`selectors`, `views`)."""
