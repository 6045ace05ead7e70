"""Pages the public reaches without signing in (a plan's notice, later the
satisfaction survey and published results): unguessable tokens, the QR code of
a public address, the keyed hash of a sender's address, rate limits counted
in the database, plain-text input checks and the phone-sized base template
(templates/public/base.html, static/public/public.css). Imports no app."""
