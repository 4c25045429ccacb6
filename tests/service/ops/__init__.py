"""TasksService tests over a fake Arize API (respx) and the sandbox."""
