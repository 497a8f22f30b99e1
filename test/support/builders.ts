import type { RawProfile } from '../../src/domain/listenerProfile.js';

/** A valid listener profile, changed field by field: `aProfile().withCity('S').build()`. */
export class ProfileBuilder {
  private constructor(private readonly fields: Record<string, unknown>) {}

  static valid(): ProfileBuilder {
    return new ProfileBuilder({ name: 'Budi', city: 'Solo', country: 'Indonesia' });
  }

  withName(name: unknown): ProfileBuilder {
    return new ProfileBuilder({ ...this.fields, name });
  }

  withCity(city: unknown): ProfileBuilder {
    return new ProfileBuilder({ ...this.fields, city });
  }

  withCountry(country: unknown): ProfileBuilder {
    return new ProfileBuilder({ ...this.fields, country });
  }

  without(field: 'name' | 'city' | 'country'): ProfileBuilder {
    const { [field]: _removed, ...rest } = this.fields;
    return new ProfileBuilder(rest);
  }

  build(): RawProfile & Record<string, unknown> {
    return { ...this.fields };
  }
}

export const aProfile = (): ProfileBuilder => ProfileBuilder.valid();
