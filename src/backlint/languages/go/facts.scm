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
; loop-like callbacks (n-plus-one): the body of a func literal that runs once per item.
; lo.ForEach(items, func(x T, _ int) {...}) / lo.Map / funk.ForEach / parallel helpers
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_each)
   arguments: (argument_list (func_literal body: (block) @loop)))
 (#any-of? @_pkg "lo" "lop" "funk" "parallel" "pie" "fp")
 (#any-of? @_each "ForEach" "ForEachWhile" "Map" "FlatMap" "FilterMap" "Filter" "Reduce" "GroupBy" "KeyBy"
   "Associate" "SliceToMap" "Partition" "PartitionBy" "CountBy" "Each" "Some" "Every" "Find"))
; a closure run where it is written, once per iteration of an enclosing loop:
; go func(x T) {...}(x), func() {...}(), g.Go(func() error {...}) (errgroup, conc), a transaction
; callback db.Transaction(func(tx *gorm.DB) error {...}) / pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {...})
(call_expression function: (func_literal body: (block) @loop))
((call_expression
   function: (selector_expression field: (field_identifier) @_go)
   arguments: (argument_list (func_literal body: (block) @loop)))
 (#any-of? @_go "Go" "Submit" "TryGo" "Transaction" "BeginFunc" "BeginTxFunc" "WithTx" "WithTransaction"
   "InTx" "RunInTx" "RunInTransaction" "ExecTx"))
