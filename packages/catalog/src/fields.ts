/** How the UI renders one parameter. Kept next to each schema; a test checks they agree. */
export type FieldSpec =
  | {
      key: string;
      label: string;
      help?: string;
      control: "select";
      options: ReadonlyArray<{ value: string | number; label: string }>;
    }
  | {
      key: string;
      label: string;
      help?: string;
      control: "slider";
      min: number;
      max: number;
      step: number;
      unit?: string;
    }
  | { key: string; label: string; help?: string; control: "toggle" }
  | { key: string; label: string; help?: string; control: "number"; min: number; max: number; optional: true }
  | { key: string; label: string; help?: string; control: "text"; maxLength: number; optional: true };

export const option = <T extends string | number>(value: T, label: string) => ({ value, label });
