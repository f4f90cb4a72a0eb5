package mnist

import (
	"fmt"
	"os"
	"path/filepath"
)

// Side is the number of pixels along each side of an MNIST image, and Dim
// the number of pixels of one image.
const (
	Side = 28
	Dim  = Side * Side
)

// Set is one half of MNIST: images with their labels, Labels[i] the digit
// shown by image i.
type Set struct {
	Images *Images
	Labels []uint8
}

// Len is the number of images.
func (s *Set) Len() int { return s.Images.N }

// Load reads the training set (60,000 images) and the test set (10,000)
// from the four files of Files in dir. Its errors name the file and the
// problem: a file missing, truncated or damaged, a wrong magic number,
// images that are not 28×28, and a number of labels that differs from the
// number of images.
func Load(dir string) (train, test *Set, err error) {
	return load(dir, "replace it with a good copy of the MNIST file of that name")
}

// LoadModule reads the training and test sets from the module cache's copy
// (see Locate). Besides Load's checks, a damaged copy is reported with the
// commands that restore it.
func LoadModule() (train, test *Set, err error) {
	dir, err := Locate()
	if err != nil {
		return nil, nil, err
	}
	return load(dir, "the module cache copy is damaged: run `go clean -modcache` and then `go mod download "+Module+"`")
}

func load(dir, remedy string) (train, test *Set, err error) {
	if train, err = loadSet(dir, TrainImagesFile, TrainLabelsFile, remedy); err != nil {
		return nil, nil, err
	}
	if test, err = loadSet(dir, TestImagesFile, TestLabelsFile, remedy); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

func loadSet(dir, imagesFile, labelsFile, remedy string) (*Set, error) {
	ip, lp := filepath.Join(dir, imagesFile), filepath.Join(dir, labelsFile)
	var im *Images
	if err := readFile(ip, remedy, func(f *os.File) (err error) {
		im, err = ReadImages(f)
		return err
	}); err != nil {
		return nil, err
	}
	if im.Rows != Side || im.Cols != Side {
		return nil, fmt.Errorf("mnist: %s: the images are %d×%d pixels, not MNIST's %d×%d; %s", ip, im.Rows, im.Cols, Side, Side, remedy)
	}
	var labels []uint8
	if err := readFile(lp, remedy, func(f *os.File) (err error) {
		labels, err = ReadLabels(f)
		return err
	}); err != nil {
		return nil, err
	}
	if len(labels) != im.N {
		return nil, fmt.Errorf("mnist: %s holds %d labels but %s holds %d images; the two files must come from the same set: %s", lp, len(labels), ip, im.N, remedy)
	}
	return &Set{Images: im, Labels: labels}, nil
}

func readFile(path, remedy string, read func(*os.File) error) error {
	f, err := os.Open(path)
	if err != nil {
		if errNotExist(err) {
			return fmt.Errorf("mnist: %s does not exist; %s, or give the directory that holds the MNIST files", path, downloadHint)
		}
		return fmt.Errorf("mnist: %v", err)
	}
	defer f.Close()
	if err := read(f); err != nil {
		return fmt.Errorf("mnist: %s: %v; %s", path, err, remedy)
	}
	return nil
}
