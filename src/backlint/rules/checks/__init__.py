"""Rule logic only: one module per `check:` name. Metadata lives in rules/<category>/<id>.yaml."""
