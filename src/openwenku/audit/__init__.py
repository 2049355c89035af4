"""The append-only audit log of operator and moderation actions.

Every review decision, report outcome, takedown, restore, claim, penalty,
word-list change and money decision is written here with who did it, to which
document or member, why and when. Nothing edits or deletes an entry: the
database refuses it (migration 0002), and the admin offers no way to.
Entries keep names and titles as they were, so they read the same after the
member or document is gone.
"""
