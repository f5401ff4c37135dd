"""The bottom floor: what every app may use and that knows no app (nor the project package)."""
