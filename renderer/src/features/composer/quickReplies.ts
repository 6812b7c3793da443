/**
 * Quick-reply templates: `{name}`-style variables filled from what the thread knows, and blanks (`{}` or an
 * unknown variable) the agent must fill before the text goes into the composer.
 */
export interface TemplateField {
  key: string;
  label: string;
  value: string;
  /** Known variables come filled in; blanks start empty and must be filled. */
  required: boolean;
}

const PLACEHOLDER = /\{([A-Za-z_ ]*)\}/g;

export function templateFields(body: string, known: Record<string, string>): TemplateField[] {
  const fields: TemplateField[] = [];
  let blanks = 0;
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? '').trim();
    if (!name) {
      blanks += 1;
      fields.push({ key: `blank-${blanks}`, label: `Blank ${blanks}`, value: '', required: true });
    } else if (!fields.some((f) => f.key === name)) {
      const value = known[name.toLowerCase()] ?? '';
      fields.push({ key: name, label: name.replace(/_/g, ' '), value, required: true });
    }
  }
  return fields;
}

export function fillTemplate(body: string, values: Record<string, string>): string {
  let blanks = 0;
  return body.replace(PLACEHOLDER, (whole, raw: string) => {
    const name = raw.trim();
    const key = name ? name : `blank-${++blanks}`;
    return values[key] ?? whole;
  });
}

export function missingFields(fields: readonly TemplateField[], values: Record<string, string>): TemplateField[] {
  return fields.filter((f) => f.required && !(values[f.key] ?? '').trim());
}

/** The variables a thread can fill by itself. */
export function knownVariables(contactName: string | undefined, customer: string, ourNumber: string): Record<string, string> {
  const vars: Record<string, string> = { number: customer, our_number: ourNumber };
  if (contactName) {
    vars.name = contactName;
    vars.first_name = contactName.split(/\s+/)[0] ?? contactName;
  }
  return vars;
}
