"""The second factor (双因素认证): TOTP authenticator apps, one-time recovery codes and
passkeys, on top of django-otp. policy.py decides who needs one; the middleware keeps an
unverified session from reaching anything else."""
