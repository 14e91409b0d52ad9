"""The allocation optimizer: an optimal, explained plan for sending resources to open requests
across the California–Baja California border. A pure library (no Django); the `enlace allocate`
command and the mutual-aid app use it through `allocation.cli` and `allocation.plan.solve`."""
