; Facts of Java, captured in one pass. Capture names are the contract with base.py.
[(method_declaration) (constructor_declaration) (compact_constructor_declaration)
 (lambda_expression)] @function
[(method_invocation) (object_creation_expression)] @call
[(for_statement) (enhanced_for_statement) (while_statement) (do_statement)] @loop
; loop-like callbacks: items.forEach(x -> ...), stream().map(x -> ...)
((method_invocation
   name: (identifier) @_loop_method
   arguments: (argument_list (lambda_expression))) @loop
 (#any-of? @_loop_method "forEach" "forEachOrdered" "map" "flatMap" "mapToObj" "mapToInt"
   "mapToLong" "mapToDouble" "filter" "peek" "anyMatch" "allMatch" "noneMatch" "removeIf"
   "replaceAll" "forEachRemaining"))
(local_variable_declaration declarator: (variable_declarator) @assign)
(assignment_expression) @assign
(resource name: (identifier)) @assign
(string_literal) @string
[(line_comment) (block_comment)] @comment
