/**
 * The fake Discord's payload validation: Discord's documented limits in one
 * table, checked the way the real API checks them, and reported in the real
 * API's error shape (`50035 Invalid Form Body` with a nested `errors` tree).
 *
 * This is the *server* side of the limits. The bot owns its own copy in
 * src/bot/render.ts; the fake exists to catch the bot when they disagree.
 */

/** Discord's limits, as documented for API v10. */
export const DISCORD_LIMITS = {
  messageContent: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooterText: 2048,
  embedAuthorName: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds of a message. */
  embedTotalText: 6000,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
} as const;

export interface FormError {
  /** Path into the request body, e.g. ['data', 'embeds', 0, 'description']. */
  path: (string | number)[];
  code: string;
  message: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function length(value: unknown): number {
  // Discord counts characters as code points.
  return typeof value === 'string' ? [...value].length : 0;
}

function maxLength(errors: FormError[], path: (string | number)[], value: unknown, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') {
    errors.push({ path, code: 'STRING_TYPE_CONVERT', message: 'Could not interpret value as string.' });
    return;
  }
  if (length(value) > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function maxItems(errors: FormError[], path: (string | number)[], value: unknown, max: number): void {
  if (Array.isArray(value) && value.length > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function validateEmbeds(errors: FormError[], base: (string | number)[], embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    errors.push({ path: base, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return;
  }
  maxItems(errors, base, embeds, DISCORD_LIMITS.embedsPerMessage);
  let total = 0;
  embeds.forEach((embed: unknown, i) => {
    if (!isObject(embed)) return;
    const p = [...base, i];
    maxLength(errors, [...p, 'title'], embed.title, DISCORD_LIMITS.embedTitle);
    maxLength(errors, [...p, 'description'], embed.description, DISCORD_LIMITS.embedDescription);
    total += length(embed.title) + length(embed.description);
    const fields = embed.fields;
    if (Array.isArray(fields)) {
      maxItems(errors, [...p, 'fields'], fields, DISCORD_LIMITS.embedFields);
      fields.forEach((field: unknown, j) => {
        if (!isObject(field)) return;
        const fp = [...p, 'fields', j];
        if (length(field.name) === 0) errors.push({ path: [...fp, 'name'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
        if (length(field.value) === 0) errors.push({ path: [...fp, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
        maxLength(errors, [...fp, 'name'], field.name, DISCORD_LIMITS.embedFieldName);
        maxLength(errors, [...fp, 'value'], field.value, DISCORD_LIMITS.embedFieldValue);
        total += length(field.name) + length(field.value);
      });
    }
    if (isObject(embed.footer)) {
      maxLength(errors, [...p, 'footer', 'text'], embed.footer.text, DISCORD_LIMITS.embedFooterText);
      total += length(embed.footer.text);
    }
    if (isObject(embed.author)) {
      maxLength(errors, [...p, 'author', 'name'], embed.author.name, DISCORD_LIMITS.embedAuthorName);
      total += length(embed.author.name);
    }
  });
  if (total > DISCORD_LIMITS.embedTotalText) {
    errors.push({ path: base, code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  }
}

function validateComponents(errors: FormError[], base: (string | number)[], rows: unknown): void {
  if (rows === undefined || rows === null) return;
  if (!Array.isArray(rows)) {
    errors.push({ path: base, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return;
  }
  maxItems(errors, base, rows, DISCORD_LIMITS.actionRows);
  const seen = new Set<string>();
  rows.forEach((row: unknown, i) => {
    if (!isObject(row)) return;
    const rp = [...base, i];
    if (row.type !== 1) {
      errors.push({ path: [...rp, 'type'], code: 'UNION_TYPE_CHOICES', message: 'Top-level components must be action rows.' });
      return;
    }
    const children = row.components;
    if (!Array.isArray(children) || children.length === 0) {
      errors.push({ path: [...rp, 'components'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      return;
    }
    maxItems(errors, [...rp, 'components'], children, DISCORD_LIMITS.buttonsPerRow);
    children.forEach((child: unknown, j) => {
      if (!isObject(child)) return;
      const cp = [...rp, 'components', j];
      if (child.type === 2) {
        maxLength(errors, [...cp, 'label'], child.label, DISCORD_LIMITS.buttonLabel);
        if (child.style === 5) {
          if (typeof child.url !== 'string') errors.push({ path: [...cp, 'url'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
          if (child.custom_id !== undefined) errors.push({ path: [...cp, 'custom_id'], code: 'COMPONENT_LINK_BUTTON_CUSTOM_ID', message: 'A link button cannot have a custom id.' });
          return;
        }
      }
      if (typeof child.custom_id !== 'string' || child.custom_id.length === 0) {
        errors.push({ path: [...cp, 'custom_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
        return;
      }
      maxLength(errors, [...cp, 'custom_id'], child.custom_id, DISCORD_LIMITS.customId);
      if (seen.has(child.custom_id)) {
        errors.push({ path: [...cp, 'custom_id'], code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
      }
      seen.add(child.custom_id);
    });
  });
}

/** Checks a message body (create, edit, interaction response data). */
export function validateMessage(body: unknown, base: (string | number)[] = [], { requireContent = true } = {}): FormError[] {
  const errors: FormError[] = [];
  if (!isObject(body)) {
    errors.push({ path: base, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return errors;
  }
  maxLength(errors, [...base, 'content'], body.content, DISCORD_LIMITS.messageContent);
  validateEmbeds(errors, [...base, 'embeds'], body.embeds);
  validateComponents(errors, [...base, 'components'], body.components);
  if (requireContent) {
    const hasContent = length(body.content) > 0;
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    const hasFiles = Array.isArray(body.attachments) && body.attachments.length > 0;
    const hasPoll = body.poll !== undefined && body.poll !== null;
    if (!hasContent && !hasEmbeds && !hasComponents && !hasFiles && !hasPoll && errors.length === 0) {
      errors.push({ path: [], code: 'EMPTY_MESSAGE', message: 'Cannot send an empty message' });
    }
  }
  return errors;
}

/** Checks the data of an autocomplete response (callback type 8). */
export function validateAutocomplete(data: unknown, base: (string | number)[] = []): FormError[] {
  const errors: FormError[] = [];
  if (!isObject(data) || !Array.isArray(data.choices)) {
    errors.push({ path: [...base, 'choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return errors;
  }
  maxItems(errors, [...base, 'choices'], data.choices, DISCORD_LIMITS.autocompleteChoices);
  data.choices.forEach((choice: unknown, i) => {
    if (!isObject(choice)) return;
    const p = [...base, 'choices', i];
    if (length(choice.name) === 0) errors.push({ path: [...p, 'name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    maxLength(errors, [...p, 'name'], choice.name, DISCORD_LIMITS.choiceName);
    if (typeof choice.value === 'string') maxLength(errors, [...p, 'value'], choice.value, DISCORD_LIMITS.choiceValue);
  });
  return errors;
}

const CHAT_INPUT_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateOptions(errors: FormError[], base: (string | number)[], options: unknown): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    errors.push({ path: base, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return;
  }
  maxItems(errors, base, options, DISCORD_LIMITS.commandOptions);
  let optionalSeen = false;
  const names = new Set<string>();
  options.forEach((option: unknown, i) => {
    if (!isObject(option)) return;
    const p = [...base, i];
    const name = option.name;
    if (typeof name !== 'string' || !CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
      errors.push({ path: [...p, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
    } else if (names.has(name)) {
      errors.push({ path: [...p, 'name'], code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
    } else {
      names.add(name);
    }
    if (length(option.description) < 1 || length(option.description) > DISCORD_LIMITS.commandDescription) {
      errors.push({ path: [...p, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    }
    const isGroup = option.type === 1 || option.type === 2;
    if (isGroup) {
      validateOptions(errors, [...p, 'options'], option.options);
      return;
    }
    if (option.required === true && optionalSeen) {
      errors.push({ path: [...p, 'required'], code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (option.required !== true) optionalSeen = true;
    if (option.autocomplete === true && Array.isArray(option.choices) && option.choices.length > 0) {
      errors.push({ path: [...p, 'autocomplete'], code: 'AUTOCOMPLETE_CHOICES', message: 'Autocomplete cannot be set with choices' });
    }
    if (Array.isArray(option.choices)) {
      maxItems(errors, [...p, 'choices'], option.choices, DISCORD_LIMITS.autocompleteChoices);
    }
  });
}

/** Checks a list of application commands as sent to the bulk-overwrite routes. */
export function validateCommands(commands: unknown): FormError[] {
  const errors: FormError[] = [];
  if (!Array.isArray(commands)) {
    errors.push({ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return errors;
  }
  const seen = new Set<string>();
  commands.forEach((command: unknown, i) => {
    if (!isObject(command)) return;
    const type = command.type ?? 1;
    const name = command.name;
    if (typeof name !== 'string' || length(name) < 1 || length(name) > DISCORD_LIMITS.commandName) {
      errors.push({ path: [i, 'name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 32 in length.' });
    } else if (type === 1 && (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase())) {
      errors.push({ path: [i, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
    }
    const key = `${String(type)}:${String(name)}`;
    if (seen.has(key)) errors.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` });
    seen.add(key);
    if (type === 1) {
      if (length(command.description) < 1 || length(command.description) > DISCORD_LIMITS.commandDescription) {
        errors.push({ path: [i, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
      }
      validateOptions(errors, [i, 'options'], command.options);
    } else if (command.description !== undefined && command.description !== '') {
      errors.push({ path: [i, 'description'], code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', message: 'Context menu commands cannot have a description' });
    }
  });
  return errors;
}

/** Turns a flat error list into Discord's nested `errors` object. */
export function formErrorBody(errors: FormError[]): { code: number; message: string; errors: Json } {
  const root: Json = {};
  for (const error of errors) {
    let node = root;
    for (const key of error.path) {
      const k = String(key);
      const next = node[k];
      if (isObject(next)) {
        node = next;
      } else {
        const created: Json = {};
        node[k] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code: error.code, message: error.message });
    node._errors = list;
  }
  return { code: 50035, message: 'Invalid Form Body', errors: root };
}
