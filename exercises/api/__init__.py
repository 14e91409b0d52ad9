"""The exercises' API, a module per capability; enlace.api adds each router."""
