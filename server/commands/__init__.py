"""The command line: `carekg validate | export | query | serve`."""
