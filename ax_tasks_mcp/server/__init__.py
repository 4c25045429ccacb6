"""The MCP face: an MCP server whose tools call the service layer."""
