import { type ReactNode, useId } from 'react';

import { MonitorIcon, MoonIcon, SunIcon } from '@/components/ui/icons';
import { type ThemePreference, useThemeStore } from '@/stores/theme-store';

const OPTIONS: { value: ThemePreference; label: string; icon: ReactNode }[] = [
  { value: 'light', label: 'Light', icon: <SunIcon /> },
  { value: 'dark', label: 'Dark', icon: <MoonIcon /> },
  { value: 'system', label: 'System', icon: <MonitorIcon /> },
];

/** A radio group rather than a cycling button, so the current choice and the options are all announced. */
export function ThemeToggle() {
  const preference = useThemeStore((state) => state.preference);
  const setPreference = useThemeStore((state) => state.setPreference);
  const name = useId();

  return (
    <fieldset className="theme-toggle">
      <legend className="visually-hidden">Colour theme</legend>
      {OPTIONS.map((option) => (
        <label key={option.value} className="theme-toggle__option" title={`${option.label} theme`}>
          <input
            className="theme-toggle__input"
            type="radio"
            name={name}
            value={option.value}
            checked={preference === option.value}
            onChange={() => setPreference(option.value)}
          />
          <span className="theme-toggle__face">
            {option.icon}
            <span className="visually-hidden">{option.label}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
