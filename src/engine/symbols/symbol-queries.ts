import type { LanguageId } from "./languages.js";

/*
 * Tree-sitter queries that find definitions, one per language. The conventions, which
 * extract-symbols.ts relies on:
 * - each pattern captures the definition node as `@<kind>` (a SymbolKind) and its name as `@name`;
 * - `@scope` marks a node that only names a container (a Rust `impl`), never a symbol itself;
 * - `@container` gives an explicit container for definitions outside their type's body (a Go
 *   method's receiver, a C++ `Class::method` defined out of line);
 * - a name matched by several patterns keeps the first pattern's kind; one node may define several
 *   names (`int a, b;`), each its own symbol with the node's range;
 * Containers otherwise come from nesting: a symbol's container is the definitions around it.
 * Local variables are left out on purpose (as in editors' outlines and ctags): only variables at
 * the top level of a file, module or class are symbols.
 */

/**
 * An anonymous class takes the name it is given: a variable's (`var Manager = class {…}`, as bundles
 * write classes), a property's (`exports.Helper = class {…}`; not `module.exports`, which names
 * nothing), or `default` for a default export, as does an anonymous default function; its methods
 * would otherwise have no container. `Foo.prototype.bar = function…` is Foo's method, as ctags has it.
 */
const ECMASCRIPT_COMMON = `
(class_declaration name: (_) @name) @class
(class name: (_) @name) @class
(variable_declarator name: (identifier) @name value: (class !name)) @class
(expression_statement (assignment_expression
  left: (member_expression property: (property_identifier) @name (#not-eq? @name "exports"))
  right: (class !name)) @class)
(export_statement "default" @name value: (class !name)) @class
(export_statement "default" @name value: [(function_expression !name) (arrow_function)]) @function
(expression_statement (assignment_expression
  left: (member_expression
    object: (member_expression object: (identifier) @container property: (property_identifier) @prototype)
    property: (property_identifier) @name)
  right: [(function_expression) (arrow_function)]) @method (#eq? @prototype "prototype"))
(function_declaration name: (_) @name) @function
(generator_function_declaration name: (_) @name) @function
(method_definition name: (_) @name) @method
(program (lexical_declaration (variable_declarator name: (identifier) @name) @variable))
(program (variable_declaration (variable_declarator name: (identifier) @name) @variable))
(export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name) @variable))
(export_statement declaration: (variable_declaration (variable_declarator name: (identifier) @name) @variable))
(expression_statement (assignment_expression
  left: (member_expression property: (property_identifier) @name)
  right: [(function_expression) (arrow_function)]) @function)
`;

const JAVASCRIPT = `${ECMASCRIPT_COMMON}
(field_definition property: (_) @name) @property
`;

const TYPESCRIPT = `${ECMASCRIPT_COMMON}
(abstract_class_declaration name: (_) @name) @class
(interface_declaration name: (_) @name) @interface
(enum_declaration name: (_) @name) @enum
(enum_body (property_identifier) @name @enumMember)
(enum_body (enum_assignment name: (_) @name) @enumMember)
(type_alias_declaration name: (_) @name) @typeAlias
(function_signature name: (_) @name) @function
(interface_body (method_signature name: (_) @name) @method)
(class_body (method_signature name: (_) @name) @method)
(abstract_method_signature name: (_) @name) @method
(public_field_definition name: (_) @name) @property
(interface_body (property_signature name: (_) @name) @property)
(type_alias_declaration value: (object_type (property_signature name: (_) @name) @property))
(type_alias_declaration value: (object_type (method_signature name: (_) @name) @method))
(internal_module name: (_) @name) @namespace
(module name: (_) @name) @module
(internal_module body: (statement_block (lexical_declaration (variable_declarator name: (identifier) @name) @variable)))
(internal_module body: (statement_block (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name) @variable))))
(ambient_declaration (variable_declaration (variable_declarator name: (identifier) @name) @variable))
(ambient_declaration (lexical_declaration (variable_declarator name: (identifier) @name) @variable))
`;

/**
 * A decorated Python definition's range holds its decorators, so an edit by range takes them along.
 * Python names assigned at a module's or a class's own level count, also inside its `if`, `try`
 * and `with` blocks (`if TYPE_CHECKING:`, `except ImportError:` fallbacks), and each name of
 * `A, B = …` and of `A = B = …`; a function's are locals.
 */
const PYTHON_ASSIGNED = (kind: string) => `
  (expression_statement (assignment left: (identifier) @name) @${kind})
  (expression_statement (assignment left: [(pattern_list (identifier) @name) (tuple_pattern (identifier) @name)]) @${kind})
  (expression_statement (assignment right: (assignment left: (identifier) @name)) @${kind})`;
const PYTHON_LEVEL = (kind: string) => `[
  ${PYTHON_ASSIGNED(kind)}
  (if_statement (block [${PYTHON_ASSIGNED(kind)}]))
  (if_statement (_ (block [${PYTHON_ASSIGNED(kind)}])))
  (try_statement (block [${PYTHON_ASSIGNED(kind)}]))
  (try_statement (_ (block [${PYTHON_ASSIGNED(kind)}])))
  (with_statement (block [${PYTHON_ASSIGNED(kind)}]))]`;

const PYTHON = `
(decorated_definition definition: (class_definition name: (identifier) @name)) @class
(decorated_definition definition: (function_definition name: (identifier) @name)) @function
(class_definition name: (identifier) @name) @class
(function_definition name: (identifier) @name) @function
(module ${PYTHON_LEVEL("variable")})
(class_definition body: (block ${PYTHON_LEVEL("field")}))
(module (type_alias_statement left: (type (identifier) @name)) @typeAlias)
`;

const GO = `
(package_clause (package_identifier) @name) @package
(function_declaration name: (identifier) @name) @function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: [
    (type_identifier) @container
    (pointer_type (type_identifier) @container)
    (generic_type type: (type_identifier) @container)
    (pointer_type (generic_type type: (type_identifier) @container))]))
  name: (field_identifier) @name) @method
(type_spec name: (type_identifier) @name type: (struct_type)) @struct
(type_spec name: (type_identifier) @name type: (interface_type)) @interface
(type_spec name: (type_identifier) @name) @typeAlias
(type_alias name: (type_identifier) @name) @typeAlias
(field_declaration name: (field_identifier) @name) @field
(field_declaration !name type: [
  (type_identifier) @name
  (qualified_type name: (type_identifier) @name)
  (generic_type type: (type_identifier) @name)
  (pointer_type [(type_identifier) @name (qualified_type name: (type_identifier) @name)])]) @field
(method_elem name: (field_identifier) @name) @method
(source_file (const_declaration (const_spec name: (identifier) @name) @constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @variable))
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @name) @variable)))
`;

const RUST = `
(mod_item name: (identifier) @name) @module
(struct_item name: (type_identifier) @name) @struct
(union_item name: (type_identifier) @name) @struct
(enum_item name: (type_identifier) @name) @enum
(enum_variant name: (identifier) @name) @enumMember
(trait_item name: (type_identifier) @name) @trait
(impl_item type: [
  (type_identifier) @name
  (generic_type type: (type_identifier) @name)
  (scoped_type_identifier name: (type_identifier) @name)
  (generic_type type: (scoped_type_identifier name: (type_identifier) @name))]) @scope
(impl_item type: (_) @name) @scope
(function_item name: (identifier) @name) @function
(function_signature_item name: (identifier) @name) @function
(const_item name: (identifier) @name) @constant
(static_item name: (identifier) @name) @variable
(type_item name: (type_identifier) @name) @typeAlias
(associated_type name: (type_identifier) @name) @typeAlias
(macro_definition name: (identifier) @name) @function
(field_declaration name: (field_identifier) @name) @field
`;

const JAVA = `
(package_declaration [(identifier) (scoped_identifier)] @name) @package
(class_declaration name: (identifier) @name) @class
(record_declaration name: (identifier) @name) @class
(interface_declaration name: (identifier) @name) @interface
(annotation_type_declaration name: (identifier) @name) @interface
(enum_declaration name: (identifier) @name) @enum
(enum_constant name: (identifier) @name) @enumMember
(method_declaration name: (identifier) @name) @method
(constructor_declaration name: (identifier) @name) @constructor
(compact_constructor_declaration name: (identifier) @name) @constructor
(annotation_type_element_declaration name: (identifier) @name) @method
(object_creation_expression type: [
  (type_identifier) @name
  (generic_type [(type_identifier) @name (scoped_type_identifier (type_identifier) @name .)])
  (scoped_type_identifier (type_identifier) @name .)] (class_body)) @scope
(field_declaration declarator: (variable_declarator name: (identifier) @name)) @field
(constant_declaration declarator: (variable_declarator name: (identifier) @name)) @constant
`;

/**
 * C and C++ share the C++ grammar. A declarator may hide its name under pointers, arrays,
 * references and parentheses without bound, so declarations capture the `@declarator` and
 * extract-symbols.ts finds the name (and whether it is a function) in code; `declaration` and
 * `member` patterns also match inside function bodies, where what they find is a local and dropped.
 * They match at any level, so prototypes inside include guards, `#if`, `extern "C"`, namespaces
 * and classes count. A typedef of an anonymous struct names the struct; a variable declared with
 * a struct's body (`struct S {…} s;`) has the declarator's range, so the struct is not nested in it.
 * A template's range holds its `template <…>` header. `@reserved` marks a declaration of a type
 * named `__…`: macros after a prototype (glibc's `__THROW __nonnull ((1))`) read as one, and it is
 * dropped when the name it declares is reserved too. `class EXPORT_MACRO Name {…}` reads as a
 * function `Name` returning `class EXPORT_MACRO`: it is the class `Name`, its members declarations.
 */
const C_FAMILY = `
(namespace_definition name: (_) @name) @namespace
(template_declaration (class_specifier name: (_) @name body: (_))) @class
(template_declaration (struct_specifier name: (_) @name body: (_))) @struct
(template_declaration (alias_declaration name: (type_identifier) @name)) @typeAlias
(class_specifier name: (_) @name body: (_)) @class
(struct_specifier name: (_) @name body: (_)) @struct
(union_specifier name: (_) @name body: (_)) @struct
(enum_specifier name: (_) @name body: (_)) @enum
(enumerator name: (identifier) @name) @enumMember
(type_definition
  type: [(struct_specifier !name body: (_)) (union_specifier !name body: (_)) (class_specifier !name body: (_))]
  declarator: (type_identifier) @name) @struct
(type_definition type: (enum_specifier !name body: (_)) declarator: (type_identifier) @name) @enum
(type_definition
  type: [(struct_specifier name: (_) body: (_)) (union_specifier name: (_) body: (_))
         (class_specifier name: (_) body: (_)) (enum_specifier name: (_) body: (_))]
  declarator: (_) @declarator @typeAlias)
(type_definition declarator: (_) @declarator) @typeAlias
(alias_declaration name: (type_identifier) @name) @typeAlias
(template_declaration (function_definition declarator: (_) @declarator)) @function
(function_definition type: (class_specifier !body) declarator: (identifier) @name body: (_)) @class
(function_definition type: (struct_specifier !body) declarator: (identifier) @name body: (_)) @struct
(function_definition declarator: (_) @declarator) @function
(field_declaration
  type: [(struct_specifier body: (_)) (union_specifier body: (_)) (class_specifier body: (_)) (enum_specifier body: (_))]
  declarator: (_) @declarator @member)
(field_declaration declarator: (_) @declarator) @member
((declaration type: (type_identifier) @reserved declarator: (_) @declarator) @declaration (#match? @reserved "^__"))
(declaration
  type: [(struct_specifier body: (_)) (union_specifier body: (_)) (class_specifier body: (_)) (enum_specifier body: (_))]
  declarator: (_) @declarator @declaration)
(declaration declarator: (_) @declarator) @declaration
(preproc_def name: (identifier) @name) @constant
(preproc_function_def name: (identifier) @name) @function
`;

const CSHARP = `
(namespace_declaration name: (_) @name) @namespace
(file_scoped_namespace_declaration name: (_) @name) @namespace
(class_declaration name: (identifier) @name) @class
(record_declaration name: (identifier) @name) @class
(struct_declaration name: (identifier) @name) @struct
(interface_declaration name: (identifier) @name) @interface
(enum_declaration name: (identifier) @name) @enum
(enum_member_declaration name: (identifier) @name) @enumMember
(method_declaration name: (identifier) @name) @method
(constructor_declaration name: (identifier) @name) @constructor
(property_declaration name: (identifier) @name) @property
(field_declaration (variable_declaration (variable_declarator name: (identifier) @name) @field))
`;

const RUBY = `
(module name: (_) @name) @module
(class name: (_) @name) @class
(method name: (_) @name) @method
(singleton_method name: (_) @name) @method
(program (assignment left: (constant) @name) @constant)
`;

/** The symbol query of each language. */
export const SYMBOL_QUERIES: Record<LanguageId, string> = {
  typescript: TYPESCRIPT,
  tsx: TYPESCRIPT,
  javascript: JAVASCRIPT,
  python: PYTHON,
  go: GO,
  rust: RUST,
  java: JAVA,
  c: C_FAMILY,
  cpp: C_FAMILY,
  csharp: CSHARP,
  ruby: RUBY,
};
