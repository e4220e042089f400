import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType('LocalizedText', { description: 'Text in one language; `lang` is a BCP 47 tag.' })
export class LocalizedText {
  @Field(() => String)
  lang!: string;

  @Field(() => String)
  text!: string;
}

@InputType('LocalizedTextInput')
export class LocalizedTextInput {
  @Field(() => String)
  lang!: string;

  @Field(() => String)
  text!: string;
}
