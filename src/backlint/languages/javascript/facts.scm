; Facts of JavaScript, captured in one pass. Capture names are the contract with base.py.
[(function_declaration) (function_expression) (arrow_function) (method_definition)
 (generator_function_declaration) (generator_function)] @function
[(call_expression) (new_expression)] @call
[(for_statement) (for_in_statement) (while_statement) (do_statement)] @loop
; loop-like callbacks: the callback's body runs once per element
((call_expression
   function: (member_expression property: (property_identifier) @_loop_method)
   arguments: (arguments . [(arrow_function body: (_) @loop) (function_expression body: (_) @loop)]))
 (#any-of? @_loop_method "forEach" "map" "flatMap" "filter" "reduce" "some" "every" "find" "findIndex" "eachAsync"))
; iteration helpers that take the collection first: _.map(items, fn), Bluebird.map(items, fn),
; async.eachSeries(items, fn), pMap(items, fn), async.mapLimit(items, 5, fn)
((call_expression
   function: (member_expression object: (identifier) @_lib property: (property_identifier) @_loop_method)
   arguments: (arguments . (_) . [(arrow_function body: (_) @loop) (function_expression body: (_) @loop)]))
 (#any-of? @_lib "_" "lodash" "Bluebird" "BPromise" "Promise" "async")
 (#any-of? @_loop_method "forEach" "each" "map" "flatMap" "mapSeries" "eachSeries" "forEachSeries" "mapValues" "reduce"))
((call_expression
   function: (identifier) @_loop_fn
   arguments: (arguments . (_) . [(arrow_function body: (_) @loop) (function_expression body: (_) @loop)]))
 (#any-of? @_loop_fn "pMap" "pMapSeries" "pEachSeries" "mapSeries" "eachSeries"))
((call_expression
   function: (member_expression object: (identifier) @_lib property: (property_identifier) @_loop_method)
   arguments: (arguments . (_) . (_) . [(arrow_function body: (_) @loop) (function_expression body: (_) @loop)]))
 (#eq? @_lib "async")
 (#any-of? @_loop_method "mapLimit" "eachLimit" "forEachLimit"))
[(variable_declarator) (assignment_expression) (augmented_assignment_expression)] @assign
[(string) (template_string)] @string
(comment) @comment
