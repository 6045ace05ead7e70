"""The sign-in rules of GB/T 22239-2019 level 3 (身份鉴别) inside accounts: the password
policy and its history, expiry and forced change (passwords.py, gate.py), lockout per account
and address (lockout.py), the failed-token throttle (token_guard.py), the signed-in sessions a
user sees and ends (sessions.py), and the security administrator's policy page. The policy
itself is read through zhengdun/accounts/policy.py alone."""
