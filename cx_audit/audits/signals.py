"""What happens to an audit that features built on audits act on (corrective actions, for one).

Sent inside the service's transaction, after the audit's results are stored, so a receiver's
writes commit or roll back with the audit's; a receiver that raises undoes the whole change.
Receivers are connected in `cx_audit.wiring`, so audits never import the features above them.
"""

from django.dispatch import Signal

# audit: the just-submitted Audit (its results stored).
audit_submitted = Signal()
# audit: the voided Audit; user: who voided it; reason: why.
audit_voided = Signal()
# audit: the rescored Audit; item_code: the finding ruled on; ruling: a `Ruling`; user: who decided.
finding_ruled = Signal()
