// @lhncbc/ucum-lhc ships no types; only what src/rules/units.ts uses.
declare module '@lhncbc/ucum-lhc' {
  interface Validation { status: 'valid' | 'invalid' | 'error'; ucumCode: string | null; msg: string[]; unit?: { code: string; name: string } }
  interface Conversion { status: 'succeeded' | 'failed' | 'error'; toVal: number | null; msg: string[] }
  interface Utils {
    validateUnitString(unit: string, suggest?: boolean): Validation;
    convertUnitTo(fromUnit: string, fromValue: number, toUnit: string): Conversion;
  }
  const ucum: { UcumLhcUtils: { getInstance(): Utils } };
  export default ucum;
}
