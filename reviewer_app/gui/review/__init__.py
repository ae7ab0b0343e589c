"""The round view: one open round's proposals, their PDFs and the scoring form.

The widgets here only adapt :mod:`reviewer_app.services.workspace` to the screen: every
grade, comment and note is committed through the service as it is made, and every figure
the reviewer sees (points, totals, bands, findings, the distribution) is the service's
answer, never recomputed here.
"""
