"""Accounts offer no API routes: tokens are issued on the 访问令牌 page or with manage.py create_token."""
