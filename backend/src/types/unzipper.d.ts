// The part of unzipper (exceljs's own zip reader) used to open an .xlsx by its central directory.
declare module 'unzipper' {
  export interface CentralDirectoryFile {
    path: string;
    type: 'File' | 'Directory';
    stream(password?: string): NodeJS.ReadableStream;
  }
  export interface CentralDirectory {
    files: CentralDirectoryFile[];
  }
  export const Open: {
    file(path: string): Promise<CentralDirectory>;
  };
}
