; Facts of PHP, captured in one pass. Capture names are the contract with base.py.
[(function_definition) (method_declaration) (anonymous_function) (arrow_function)] @function
[(function_call_expression) (member_call_expression) (nullsafe_member_call_expression)
 (scoped_call_expression) (object_creation_expression)] @call
[(for_statement) (foreach_statement) (while_statement) (do_statement)] @loop
; loop-like callbacks: array_map(fn, $xs), $collection->each(fn), $query->chunk(100, fn)
((function_call_expression
   function: (name) @_loop_fn
   arguments: (arguments (argument [(anonymous_function) (arrow_function)]))) @loop
 (#any-of? @_loop_fn "array_map" "array_walk" "array_walk_recursive" "array_filter" "array_reduce"
   "usort" "uasort" "uksort"))
((member_call_expression
   name: (name) @_loop_m
   arguments: (arguments (argument [(anonymous_function) (arrow_function)]))) @loop
 (#any-of? @_loop_m "each" "map" "filter" "reject" "flatMap" "mapWithKeys" "transform" "sortBy"
   "sortByDesc" "groupBy" "keyBy" "every" "sum" "chunk" "chunkById" "eachById" "lazyEach"))
[(assignment_expression) (augmented_assignment_expression) (reference_assignment_expression)] @assign
; foreach ($rows as $k => $v) assigns its loop variables
(foreach_statement . (_) . [(variable_name) (pair) (by_ref) (list_literal)] @assign)
[(string) (encapsed_string) (heredoc) (nowdoc)] @string
(comment) @comment
