"""Import the modules that register job kinds (so a worker knows them)."""
