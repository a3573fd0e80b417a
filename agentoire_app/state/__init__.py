"""Small Reflex states, one per page or component; each calls services and holds what its page shows."""
