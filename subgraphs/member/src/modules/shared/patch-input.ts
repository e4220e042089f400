import { getMetadataStorage, InputType, type ClassType } from 'type-graphql';

type TypeOptions = ReturnType<typeof getMetadataStorage>['fields'][number]['typeOptions'];

const generated = new Map<ClassType, ClassType>();

/**
 * The patch input of a kind, derived from its full write's input class: the same fields and types
 * (but `id`, which the update names on its own), every one optional and without defaults, so
 * that "absent" can mean "unchanged". Built once per input class.
 */
export function patchInputOf(input: ClassType, name: string, description: string): ClassType {
  const known = generated.get(input);
  if (known) return known;
  const storage = getMetadataStorage();
  const Patch = { [name]: class {} }[name] as ClassType;
  InputType(name, { description })(Patch);
  for (const field of storage.fields.filter((f) => f.target === input && f.name !== 'id')) {
    const typeOptions: TypeOptions = { ...field.typeOptions, defaultValue: undefined, nullable: field.typeOptions.nullable === 'items' ? 'itemsAndList' : true };
    storage.collectClassFieldMetadata({
      ...field,
      target: Patch,
      typeOptions,
      getType: () => {
        // the source field learns whether it is a list when its type is first read
        const type = field.getType();
        typeOptions.array = field.typeOptions.array;
        typeOptions.arrayDepth = field.typeOptions.arrayDepth;
        return type;
      },
    });
  }
  generated.set(input, Patch);
  return Patch;
}
