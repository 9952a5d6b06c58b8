import { type KeyboardEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';

import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { normalizeSuggestQuery, useSuggestions } from '@/features/catalog/api/suggest-products';
import { pluralize } from '@/lib/format';
import type { Suggestion } from '@/types/api';

/** Suggestions start at two characters and follow a pause in typing this short. */
export const MIN_SUGGEST_CHARS = 2;
export const SUGGEST_DEBOUNCE_MS = 150;

export const suggestionHref = (s: Suggestion) => (s.type === 'category' ? `/categories/${s.slug}` : `/products/${s.id}`);
const suggestionKey = (s: Suggestion) => `${s.type}-${s.id}`;

interface SearchComboboxProps {
  /** The input's id, for the caller's `<label htmlFor>`. */
  id: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
}

/**
 * The search box with suggestions as you type, following the WAI-ARIA combobox pattern (list autocomplete, focus
 * stays in the input): typing opens the list, ↓/↑ move through the suggestions (wrapping; they also reopen it), Enter opens the active
 * one, Escape closes the list (a second Escape clears the box, as a search field does), and the active option is
 * `aria-activedescendant`. Typing keeps working as before: the caller still searches for what is in the box.
 */
export function SearchCombobox({ id, value, onChange, placeholder }: SearchComboboxProps) {
  const navigate = useNavigate();
  const listboxId = useId();
  const optionId = (index: number) => `${listboxId}-option-${index}`;
  const [open, setOpen] = useState(false);
  // The highlighted suggestion, by identity: an answer that arrives while the shopper moves through the list (for
  // what they typed a moment before) keeps the highlight on the same suggestion if it still lists it.
  const [activeKey, setActiveKey] = useState<string | null>(null);

  const debounced = useDebouncedValue(value, SUGGEST_DEBOUNCE_MS);
  const wanted = normalizeSuggestQuery(debounced).length >= MIN_SUGGEST_CHARS;
  const suggestions = useSuggestions(debounced, { enabled: open && wanted });
  const items = wanted && normalizeSuggestQuery(value).length >= MIN_SUGGEST_CHARS ? (suggestions.data?.suggestions ?? []) : [];
  const expanded = open && items.length > 0;
  const activeIndex = expanded ? items.findIndex((suggestion) => suggestionKey(suggestion) === activeKey) : -1;
  const activate = (index: number) => setActiveKey(items[index] ? suggestionKey(items[index]) : null);

  const choose = (suggestion: Suggestion) => {
    setOpen(false);
    setActiveKey(null);
    void navigate(suggestionHref(suggestion));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        setOpen(true);
        if (items.length === 0) return;
        const down = event.key === 'ArrowDown';
        if (activeIndex === -1) activate(down ? 0 : items.length - 1);
        else activate((activeIndex + (down ? 1 : -1) + items.length) % items.length);
        return;
      }
      case 'Enter': {
        const suggestion = activeIndex >= 0 ? items[activeIndex] : undefined;
        if (!suggestion) {
          setOpen(false);
          return;
        }
        event.preventDefault();
        choose(suggestion);
        return;
      }
      case 'Escape':
        if (!expanded) return;
        // Only closes the list; the field's own Escape (clear) is for a second press.
        event.preventDefault();
        setOpen(false);
        setActiveKey(null);
        return;
    }
  };

  return (
    <div className="combobox">
      <input
        id={id}
        className="input"
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={expanded ? listboxId : undefined}
        aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
        value={value}
        placeholder={placeholder}
        autoComplete="off"
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setActiveKey(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      {expanded ? (
        <ul id={listboxId} className="combobox__list" role="listbox" aria-label="Suggestions">
          {items.map((suggestion, index) => (
            <li
              key={suggestionKey(suggestion)}
              id={optionId(index)}
              className="combobox__option"
              role="option"
              aria-selected={index === activeIndex}
              // Keeps focus in the input (a click must not blur it and close the list first).
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(suggestion)}
            >
              <span className="combobox__name">{suggestion.name}</span>
              <span className="combobox__kind">{suggestion.type === 'category' ? 'Category' : 'Product'}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <span className="visually-hidden" aria-live="polite">
        {expanded ? `${pluralize(items.length, 'suggestion')}, use the up and down arrow keys to choose` : ''}
      </span>
    </div>
  );
}
