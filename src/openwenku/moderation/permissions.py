"""Operators' powers over copyright and claims, as Django permissions (granted to
the "Operators" group by migration). ``openwenku.access`` reads them too."""

HANDLE_NOTICE = "moderation.handle_notice"  # decide copyright notices and counter-notices
TAKE_DOWN = "moderation.take_down"  # take any document down at once, restore it
HANDLE_CLAIM = "moderation.handle_claim"  # decide authors' claims (认领)
