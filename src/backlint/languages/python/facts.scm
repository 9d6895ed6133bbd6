; Facts of Python, captured in one pass. Capture names are the contract with base.py.
(function_definition) @function
(lambda) @function
(call) @call
[(for_statement) (while_statement) (list_comprehension) (set_comprehension)
 (dictionary_comprehension) (generator_expression)] @loop
[(assignment) (augmented_assignment)] @assign
(string) @string
(comment) @comment
