; Facts of C#, captured in one pass. Capture names are the contract with base.py.
; (ADO.NET `cmd.CommandText = sql` sinks are found by a small query of the adapter: _PROPERTY_SINKS.)
[(method_declaration) (constructor_declaration) (destructor_declaration) (operator_declaration)
 (conversion_operator_declaration) (local_function_statement) (accessor_declaration)
 (lambda_expression) (anonymous_method_expression)] @function
[(invocation_expression) (object_creation_expression) (implicit_object_creation_expression)] @call
[(for_statement) (foreach_statement) (while_statement) (do_statement)] @loop
((invocation_expression
   function: (member_access_expression name: (identifier) @_loop_method)
   arguments: (argument_list (argument [(lambda_expression) (anonymous_method_expression)]))) @loop
 (#any-of? @_loop_method "ForEach" "ForEachAsync" "Select" "SelectMany"))
[(variable_declarator) (assignment_expression)] @assign
[(string_literal) (verbatim_string_literal) (raw_string_literal) (interpolated_string_expression)] @string
(comment) @comment
