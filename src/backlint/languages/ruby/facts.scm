; Facts of Ruby, captured in one pass. Capture names are the contract with base.py.
; Blocks are NOT functions: Ruby blocks close over the method's locals (transaction do ... end),
; so variable tracking must see through them.
[(method) (singleton_method) (lambda)] @function

(call) @call
; Sequel datasets from raw SQL: DB["SELECT ..."], db[sql]
((element_reference object: [(constant) (identifier)] @_db) @call
 (#match? @_db "^(DB|db|database|DATABASE|sequel_db)$"))

[(while) (until) (for) (while_modifier) (until_modifier)] @loop
; loop-like calls with a block: users.each do |u| ... end, items.map { ... }, 3.times { }
((call method: (identifier) @_lm block: (_)) @loop
 (#any-of? @_lm "each" "each_with_index" "each_with_object" "each_slice" "each_cons" "each_entry"
   "each_pair" "each_key" "each_value" "each_index" "reverse_each" "map" "map!" "flat_map" "collect"
   "collect_concat" "filter_map" "select" "filter" "reject" "find_each" "find_in_batches" "in_batches"
   "times" "upto" "downto" "step" "loop" "group_by" "sort_by" "min_by" "max_by" "sum" "index_by"
   "index_with" "partition" "inject" "reduce" "detect" "find" "find_all" "any?" "all?" "none?"
   "count" "zip" "each_char" "each_line" "tally_by" "uniq" "to_h"))

[(assignment) (operator_assignment)] @assign
; appends: sql << "AND x = 1", sql.concat(...), conditions.push(...)
((binary left: (_) operator: "<<") @assign)
((call receiver: (identifier) method: (identifier) @_am arguments: (argument_list)) @assign
 (#any-of? @_am "concat" "push" "append"))

[(string) (heredoc_beginning)] @string
(comment) @comment
