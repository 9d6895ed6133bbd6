; Facts of C#, captured in one pass. Capture names are the contract with base.py.
; (ADO.NET `cmd.CommandText = sql` sinks are found by a small query of the adapter: _PROPERTY_SINKS.)
[(method_declaration) (constructor_declaration) (destructor_declaration) (operator_declaration)
 (conversion_operator_declaration) (local_function_statement) (accessor_declaration)
 (lambda_expression) (anonymous_method_expression)] @function
[(invocation_expression) (object_creation_expression) (implicit_object_creation_expression)] @call
[(for_statement) (foreach_statement) (while_statement) (do_statement) (query_expression)] @loop
;; loop-like calls: items.ForEach(x => ...), Parallel.ForEach(items, x => ...), LINQ operators
;; with a lambda (on an IQueryable they are translated to SQL: the adapter makes those kind "query")
((invocation_expression
   function: (member_access_expression name: [(identifier) (generic_name)] @_loop_method)
   arguments: (argument_list (argument [(lambda_expression) (anonymous_method_expression)]))) @loop
 (#match? @_loop_method "^(ForEach|ForEachAsync|Select|SelectMany|Where|Any|All|Count|LongCount|Sum|Min|Max|MinBy|MaxBy|Average|First|FirstOrDefault|Single|SingleOrDefault|Last|LastOrDefault|ToDictionary|ToLookup|GroupBy|OrderBy|OrderByDescending|ThenBy|ThenByDescending|DistinctBy|TakeWhile|SkipWhile|Aggregate|Zip|ConvertAll|FindAll|RemoveAll|TrueForAll|Exists|AnyAsync|AllAsync|CountAsync|LongCountAsync|SumAsync|MinAsync|MaxAsync|AverageAsync|FirstAsync|FirstOrDefaultAsync|SingleAsync|SingleOrDefaultAsync|LastAsync|LastOrDefaultAsync|ToDictionaryAsync|ExecuteUpdate|ExecuteUpdateAsync)(<.*)?$"))
[(variable_declarator) (assignment_expression)] @assign
[(string_literal) (verbatim_string_literal) (raw_string_literal) (interpolated_string_expression)] @string
(comment) @comment
