"""Answer variants per part: valid alternative methods and common mistakes, graded by test_variants.py.

Each ``partNN.py`` defines

* ``VALID``: question id -> {name: code}. Each must score full marks on that question.
* ``MISTAKES``: question id -> {name: (fields, code)}. ``fields`` lists the fields that
  must score 0 (``"all"``: the whole question must score 0).

``code`` is appended to the solution's cell for that question, after its solution
block and before ``check(...)``: it sees everything the solution computed and
reassigns the answer variable the way a learner with that method (or that mistake)
would. Keep helper names private (``_name``) so later cells are not disturbed.
"""
