"""Analysis: tier schemes, engagement norms, flags, fees, trade-offs and the budget planner."""
