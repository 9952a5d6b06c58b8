import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';

import { SearchCombobox } from '@/features/catalog/components/search-combobox';

/** The home page's search: suggestions as you type; Enter or the button opens the catalog's results. */
export function HomeSearch() {
  const id = useId();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = value.trim();
    void navigate(q ? `/products?${new URLSearchParams({ q }).toString()}` : '/products');
  };
  return (
    <form role="search" className="hero__search" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={id}>
        Search products
      </label>
      <SearchCombobox id={id} value={value} onChange={setValue} placeholder="Search headphones, jackets, kettles…" />
      <button type="submit" className="button button--primary">
        Search
      </button>
    </form>
  );
}
