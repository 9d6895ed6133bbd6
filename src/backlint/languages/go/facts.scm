; Facts of Go, captured in one pass. Capture names are the contract with base.py.
[(function_declaration) (method_declaration) (func_literal)] @function
(call_expression) @call
(for_statement) @loop
[(short_var_declaration) (assignment_statement) (var_spec) (const_spec) (range_clause)] @assign
; parameters bind names too (their type tells a number from a string); not those of func types
(function_declaration parameters: (parameter_list (parameter_declaration) @assign))
(method_declaration receiver: (parameter_list (parameter_declaration) @assign))
(method_declaration parameters: (parameter_list (parameter_declaration) @assign))
(func_literal parameters: (parameter_list (parameter_declaration) @assign))
[(interpreted_string_literal) (raw_string_literal)] @string
(comment) @comment
