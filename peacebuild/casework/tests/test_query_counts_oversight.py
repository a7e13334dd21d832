"""The oversight pages' query counts are tested in test_oversight_pages.py
(`test_the_oversight_pages_cost_constant_queries`: the history, the trail, the teams); this
names them for tests/test_query_counts.py, which looks for `PAGES` in test_query_counts*
modules. The break-glass form and the team members' actions show or change one record."""

PAGES = {"casework:history", "casework:trail", "casework:teams", "casework:break_glass",
         "casework:team_member_write", "casework:team_member_remove"}
