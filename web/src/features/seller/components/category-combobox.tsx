import { type KeyboardEvent, useId, useState } from 'react';

import { useCreateCategory } from '@/features/seller/api/product-writes';
import type { Category } from '@/types/api';

interface CategoryComboboxProps {
  categories: Category[];
  value: number | null;
  onChange: (id: number | null) => void;
  error?: string | undefined;
}

type Option = { kind: 'category'; category: Category } | { kind: 'create'; name: string };

/**
 * ARIA 1.2 combobox: type to filter, arrows to move, Enter to pick; when nothing matches exactly, the last option
 * creates the typed name as a new category (`POST /categories`) and selects it.
 */
export function CategoryCombobox({ categories, value, onChange, error }: CategoryComboboxProps) {
  const id = useId();
  const listId = `${id}-list`;
  const selected = categories.find((c) => c.id === value) ?? null;
  const [text, setText] = useState(selected?.name ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const create = useCreateCategory();

  const query = text.trim().toLowerCase();
  const matches = categories.filter((c) => c.name.toLowerCase().includes(query));
  const exact = categories.some((c) => c.name.toLowerCase() === query);
  const options: Option[] = [
    ...matches.map((category) => ({ kind: 'category' as const, category })),
    ...(query && !exact ? [{ kind: 'create' as const, name: text.trim() }] : []),
  ];

  const choose = (option: Option) => {
    setOpen(false);
    if (option.kind === 'category') {
      setText(option.category.name);
      onChange(option.category.id);
      return;
    }
    create.mutate(option.name, {
      onSuccess: (category) => {
        setText(category.name);
        onChange(category.id);
      },
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, options.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (event.key === 'Enter' && open) {
      event.preventDefault();
      const option = options[active];
      if (option) choose(option);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  };

  const optionId = (i: number) => `${id}-opt-${i}`;

  return (
    <div className="field" data-invalid={error ? true : undefined}>
      <label className="field__label" htmlFor={id}>
        Category
      </label>
      <input
        id={id}
        className="input"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && options[active] ? optionId(active) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        autoComplete="off"
        value={text}
        disabled={create.isPending}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
          if (!e.target.value.trim()) onChange(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      {open && options.length > 0 ? (
        <ul id={listId} role="listbox" className="combobox__list" aria-label="Categories">
          {options.map((option, i) => (
            <li
              key={option.kind === 'category' ? option.category.id : 'create'}
              id={optionId(i)}
              role="option"
              className="combobox__option"
              aria-selected={option.kind === 'category' && option.category.id === value}
              data-active={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(option)}
            >
              {option.kind === 'category' ? option.category.name : `+ Create “${option.name}”`}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : (
        <p className="field__hint" id={`${id}-hint`}>
          {create.isPending ? 'Creating category…' : 'Type to search; pick “Create” to add a new one.'}
        </p>
      )}
    </div>
  );
}
