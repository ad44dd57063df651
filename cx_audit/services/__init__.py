"""Services of the audit service (HackSoft style: keyword-only, typed, own the transaction)."""
