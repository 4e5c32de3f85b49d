"""Foundation shared by every sohoa package: settings, errors, logging, types."""
