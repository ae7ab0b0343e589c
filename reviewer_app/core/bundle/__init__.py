"""Assignment and result bundles: the container, the key schedule, the readers and writers.

The format is specified in ``docs/bundle-format.md``; module names follow its sections.
"""
