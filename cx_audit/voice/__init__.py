"""The customer's voice (DESIGN §6): feedback from every channel, its text analysis, customer
metrics, revenue at risk, customer-recovery actions and the in-store survey."""
